"""allymap: who can help a person doing harm take responsibility."""
