"""The web face of allymap: thin Django views over allymap.services."""
