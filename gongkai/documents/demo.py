"""Load the demo library: the laws corpus and the seed documents from ../shared when present."""


def load_demo_documents(*, stdout, limit: int | None = None) -> None:
    stdout.write("（演示文件库加载尚未实现）")
