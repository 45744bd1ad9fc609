"""The app's screens: the main three-pane screen, help, bookmarks and dialogs."""
