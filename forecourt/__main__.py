from forecourt.cli import run

run()
