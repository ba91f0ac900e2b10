"""The media plane: what a caller hears (speech, audio, tones, silence) and what a call records."""
