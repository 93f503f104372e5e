from linkscope.cli import run

run()
