"""Running the notebooks: command line, execution, rendering, provenance."""
