from watwerkt.cli import main

main()
