"""One module per schema change, numbered ``NNNN_what.py``; never edit a released one."""
