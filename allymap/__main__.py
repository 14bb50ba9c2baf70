from allymap.cli import main

main()
