from mlm_tui.cli import main

raise SystemExit(main())
