"""The corpus and its processing: load, clean, normalise, sentences, tokens, matrix, cache."""
