"""Points inside the subscriptions package that the task layer listens to (registered in AppConfig.ready),
so that services never import the tasks that import them."""

from gongkai.core.hooks import Hook

messages_queued = Hook(
    "messages_queued",
    "(no arguments): e-mails were queued inside the current transaction; the sender should run after the commit.",
)
