"""Performance reviews (성과보고회): one model of what is shown, drawn as slides, a PDF and a deck."""
