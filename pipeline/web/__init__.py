"""The read-only web pages and JSON API over a catalogue (`kehoach serve`)."""
