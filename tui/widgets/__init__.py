"""The app's widgets: each one module, each posting messages that its screen routes."""
