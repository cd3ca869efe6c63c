"""Helpers for reading diplomatic texts: corpus -> sentences -> tokens -> matrix -> measures.

The package is in layers, each importing only those below it:

- ``analysis.text``: the corpus and its processing (load and validate, clean, normalise,
  sentences, tokens, document-feature matrix, the processed corpus and its cache);
- ``analysis.measures``: what is computed from the processed corpus (codebook and themes,
  keyness, TF-IDF, topics, similarity, events, speakers, tone, rates, descriptions);
- ``analysis.figures``: charts that draw the measures' tables, their style and saving;
- ``analysis.runner``: the command line, notebook execution, rendering and provenance.

The rule files every layer reads are in ``analysis/data`` (:mod:`analysis.rules`)::

    from analysis import load_processed
    processed = load_processed("seeds")   # documents, sentence table, matrix (cached)
    processed.sentences                   # the one sentence table every measure reads
"""
import os

# polars allocates through jemalloc and asks it to return freed pages after half a second
# (polars/__init__.py); without a thread of its own, jemalloc returns them only when it is
# next called, so each batch's column buffers stay counted while Python works on the batch.
# A background thread returning them after 0.2 s lowers the pipeline's peak by about 40 MB
# per 100 MB of text for a few per cent of time (tools/bench.py). polars appends this to its
# own setting when it is imported, after this; a setting the user made is kept instead.
os.environ.setdefault("_RJEM_MALLOC_CONF", "background_thread:true,dirty_decay_ms:200,muzzy_decay_ms:0")

from .errors import (AnalysisError, CodebookError, CorpusError, CorpusWarning, ParameterError,
                     RuleError)
from .measures.codebook import load_codebook, theme_table
from .measures.describe import corpus_summary, document_labels, document_sizes
from .measures.events import sentence_alignment, shared_events, unmatched_sentences
from .measures.speakers import attribution_accuracy, speaker_sentences
from .measures.themes import grouped_theme_rates, theme_counts, theme_matches
from .measures.tone import tone_rates
from .rules import RuleSet, rules_for
from .text.cache import load_processed
from .text.corpus import (cleaning_report, load_corpus, load_corpus_with_warnings, raw_texts,
                          read_manifest, require_column, select_years)
from .text.matrix import DocumentFeatureMatrix, document_feature_matrix, top_features
from .text.processed import ProcessedCorpus, processed_corpus
from .text.sentences import sentence_table, sentences
from .text.tokens import stem, surface_forms, tokenize, word_spans, word_tokens

__version__ = "0.2.0"

__all__ = [
    "AnalysisError", "CodebookError", "CorpusError", "CorpusWarning", "DocumentFeatureMatrix",
    "ParameterError", "RuleError", "RuleSet", "rules_for",
    "cleaning_report", "corpus_summary", "document_feature_matrix", "document_labels",
    "document_sizes", "load_corpus", "load_corpus_with_warnings", "raw_texts", "read_manifest",
    "require_column", "select_years", "sentence_table", "sentences", "stem",
    "surface_forms", "tokenize", "top_features", "word_tokens", "word_spans", "load_codebook",
    "theme_table", "theme_matches", "theme_counts", "grouped_theme_rates", "shared_events",
    "sentence_alignment", "unmatched_sentences", "speaker_sentences", "attribution_accuracy",
    "tone_rates", "load_processed", "processed_corpus", "ProcessedCorpus",
]
