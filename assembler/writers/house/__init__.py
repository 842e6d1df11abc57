"""The house style shared by the DOCX and PDF writers, and the layout
decisions both must make alike.

``model`` reads ``templates/house-style.yaml``; ``css`` turns a house style
into the print stylesheet's values; ``docx_import`` reads a house DOCX's
styles into a house style (``--reference-docx``); ``columns`` sizes table
columns from their content with ``metrics``' font widths, so both routes
break a cell's text at the same words.
"""
