from qabot.frontends.cli import main

raise SystemExit(main())
