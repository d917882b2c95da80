from cloudkyc.cli.app import main

main()
