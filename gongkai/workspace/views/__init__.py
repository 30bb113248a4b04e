"""Staff pages (工作台). Views validate input and call the services and selectors of the domain packages."""
