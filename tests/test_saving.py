"""Saving figures: one layout for both files, the PNG cropped as savefig's "tight" crops it,
the SVG's text kept as text, and the figure left as it was."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from analysis.figures.saving import SAVE_STYLE, save_figure  # noqa: E402

# DejaVu Sans has no Chinese glyphs: the PNG shows boxes (the SVG keeps the text)
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


def _figure(layout=None):
    """``layout``: None (laid out once by tight_layout, as the charts do), "constrained" (a
    layout engine), or "none" (placed by hand and never laid out)."""
    fig, axes = plt.subplots(1, 2, figsize=(6, 3), layout=None if layout == "none" else layout)
    axes[0].barh(["习近平 (Xi Jinping)", "Путин"], [3, 5])
    axes[0].set_title("Mentions")
    axes[1].plot([1, 2, 3], [2, 1, 3], label="a line whose legend finds its own place")
    axes[1].legend(loc="best")
    axes[1].annotate("a note placed in points", (2, 1), xytext=(40, -30), textcoords="offset points",
                     arrowprops={"arrowstyle": "->"})
    axes[1].set_xlabel("a long label that reaches past the axes on the right-hand side")
    fig.text(0.0, -0.05, "A caption below the axes, outside the figure's own box.")
    if layout is None:
        fig.tight_layout()
    return fig


@pytest.mark.parametrize("layout", [None, "constrained", "none"])
def test_png_is_cropped_as_tight_would_crop_it_and_the_figure_is_left_as_it_was(tmp_path, layout):
    expected = io.BytesIO()
    with plt.rc_context(SAVE_STYLE):
        _figure(layout).savefig(expected, format="png", dpi=150, bbox_inches="tight",
                                metadata={"Software": None})
    fig = _figure(layout)
    engine, size, dpi = type(fig.get_layout_engine()), tuple(fig.get_size_inches()), fig.dpi
    save_figure(fig, pd.DataFrame({"x": [1]}), tmp_path, "chart")
    assert (tmp_path / "chart.png").read_bytes() == expected.getvalue()
    assert (type(fig.get_layout_engine()), tuple(fig.get_size_inches()), fig.dpi) == (engine, size, dpi)
    plt.close("all")


def test_svg_keeps_its_text_as_text_with_fallback_fonts(tmp_path):
    fig = _figure()
    save_figure(fig, pd.DataFrame({"x": [1]}), tmp_path, "chart")
    svg = (tmp_path / "chart.svg").read_text(encoding="utf-8")
    # searchable and editable; a Chinese or Russian label is written out for the reader's fonts
    assert "习近平 (Xi Jinping)" in svg and "Путин" in svg and "A caption below" in svg
    assert "sans-serif" in svg
    # the box is the PNG's: the caption and the long label are inside the SVG too
    width, height = (float(svg.split(f'{key}="')[1].split("pt")[0]) for key in ("width", "height"))
    assert width > 6 * 72 and height > 3 * 72
    plt.close("all")
