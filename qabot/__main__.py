from qabot.cli import main

raise SystemExit(main())
