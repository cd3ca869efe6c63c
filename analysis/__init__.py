"""Helpers for reading diplomatic texts: corpus -> sentences -> tokens -> feature matrix.

The functions other code relies on::

    from analysis import load_corpus, sentences, tokenize
    corpus = load_corpus("seeds")          # one row per document, manifest columns + texts
    processed = load_processed("seeds")    # + sentences and document-feature matrix, cached
    sentences(corpus.text[0])              # list of sentences (NLTK Punkt, domain abbreviations)
    tokenize(corpus.text[0])               # features counted: normalised, stemmed, compounds joined
"""
from .cache import load_processed
from .codebook import load_codebook, theme_table
from .corpus import (cleaning_report, load_corpus, load_corpus_with_warnings, read_manifest,
                     require_column, select_years)
from .describe import corpus_summary, document_labels, document_sizes
from .dfm import DocumentFeatureMatrix, document_feature_matrix, top_features
from .errors import CodebookError, CorpusError, CorpusWarning, ParameterError
from .events import sentence_alignment, shared_events, unmatched_sentences
from .processed import ProcessedCorpus, processed_corpus
from .sentences import sentence_table, sentences
from .speakers import attribution_accuracy, speaker_sentences
from .themes import grouped_theme_rates, theme_counts, theme_matches
from .tone import tone_rates
from .tokens import stem, surface_forms, tokenize, word_spans, word_tokens

__version__ = "0.1.0"

__all__ = [
    "CodebookError", "CorpusError", "CorpusWarning", "DocumentFeatureMatrix", "ParameterError",
    "cleaning_report", "corpus_summary", "document_feature_matrix", "document_labels",
    "document_sizes", "load_corpus", "load_corpus_with_warnings", "read_manifest",
    "require_column", "select_years", "sentence_table", "sentences", "stem",
    "surface_forms", "tokenize", "top_features", "word_tokens", "word_spans", "load_codebook",
    "theme_table", "theme_matches", "theme_counts", "grouped_theme_rates", "shared_events",
    "sentence_alignment", "unmatched_sentences", "speaker_sentences", "attribution_accuracy",
    "tone_rates", "load_processed", "processed_corpus", "ProcessedCorpus",
]
