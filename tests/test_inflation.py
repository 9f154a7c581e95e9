"""Today's money from the CPI index, with the assumptions outside the series said aloud."""

import pytest

from remedy_model import config
from remedy_model.errors import DataError
from remedy_model.inflation import CpiIndex


class TestConversions:
    """Conversions follow the index, clamped and explained outside the series."""

    def test_conversions_are_ratios_of_the_index(self, cpi):
        assert cpi.to_today(100, 2018) == pytest.approx(100 * 138.4 / 105.9)
        assert cpi.from_today(138.4, 2015) == pytest.approx(100)
        assert cpi.convert(100, 2020, 2020) == pytest.approx(100)

    def test_years_outside_the_series_are_clamped_and_explained(self, cpi):
        assert cpi.to_today(100, 2026) == pytest.approx(100)
        assert "after the CPI series ends" in cpi.assumption(2026)
        assert cpi.to_today(100, 2005) == pytest.approx(138.4)
        assert "before the CPI series starts" in cpi.assumption(2005)
        assert cpi.to_today(100, None) == pytest.approx(100)
        assert "no year" in cpi.assumption(None)
        assert cpi.assumption(2020) is None

    def test_gap_years_are_interpolated(self, cpi):
        assert 105.9 < cpi.value(2019) < 108.7


class TestCpiFiles:
    """The embedded series loads; bad CPI files are refused."""

    def test_embedded_series(self):
        cpi = CpiIndex.from_csv(config.CPI_PATH)
        assert cpi.first_year == 2005 and cpi.latest_year == 2025
        assert cpi.value(2015) == 100.0

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "no header"),
            ("year,index\n", "no rows"),
            ("year,index\n2020,abc\n", ":2: CPI row"),
            ("year,index\n2020,-1\n", "must be positive"),
        ],
    )
    def test_bad_cpi_files(self, tmp_path, text, message):
        path = tmp_path / "cpi.csv"
        path.write_text(text)
        with pytest.raises(DataError, match=message):
            CpiIndex.from_csv(path)
