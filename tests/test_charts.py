"""What the charts write on their axes."""
import pandas as pd

from analysis.figures.charts import _spaced_labels


def test_close_event_dates_are_labelled_on_a_second_row_not_left_blank():
    """Themes over time: two events weeks apart, a year before the third, once left the
    second tick without a date; it now goes on a second row, and only a date with no room
    on either row is left blank."""
    dates = pd.to_datetime(pd.Series(["2025-01-21", "2025-02-24", "2026-02-04"]))
    span = dates.iloc[-1] - dates.iloc[0]
    assert _spaced_labels(dates, span) == ["2025-01-21", "\n2025-02-24", "2026-02-04"]
    crowded = pd.to_datetime(pd.Series(["2025-01-01", "2025-01-10", "2025-01-20", "2025-12-31"]))
    assert _spaced_labels(crowded, crowded.iloc[-1] - crowded.iloc[0]) == [
        "2025-01-01", "\n2025-01-10", "", "2025-12-31"]
    apart = pd.to_datetime(pd.Series(["2020-01-01", "2022-01-01", "2024-01-01"]))
    assert _spaced_labels(apart, apart.iloc[-1] - apart.iloc[0]) == ["2020-01-01", "2022-01-01", "2024-01-01"]
