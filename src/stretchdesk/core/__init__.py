"""The pure core: no Qt, no clock reads."""
