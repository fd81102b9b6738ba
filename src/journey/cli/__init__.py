"""The command line: the only package that imports typer, rich or questionary.

Commands, prompts, views and renderers. Each command builds what it needs from the
engine packages and renders the result; nothing outside this package imports it.
"""
