"""Link: facts -> facts (owners onto targets)."""


def link(ctx) -> None:
    return None
