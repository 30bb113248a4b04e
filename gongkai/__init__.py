"""gongkai (公开): an open-government platform."""
