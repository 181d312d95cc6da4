"""make bench-pair (demo/benchpair.py): the two checkouts are asked in turns, each first
in every other turn, and the table gives after / before."""

from demo import benchpair


class Checkout:
    def __init__(self, name, ms, calls):
        self.name, self.ms, self.calls = name, ms, calls

    def time(self, page):
        self.calls.append((self.name, page))
        return self.ms


def test_it_asks_each_checkout_in_turn_and_reports_after_over_before(capsys):
    calls = []
    before, after = Checkout("before", 10.0, calls), Checkout("after", 11.0, calls)
    benchpair.compare(before, after, ["patient list", "patient detail"], runs=4)
    measured = calls[12:]  # three warm-up turns a page are not counted
    assert len(measured) == 16
    firsts = [measured[i][0] for i in range(0, 16, 2)]
    assert firsts == ["after", "after", "before", "before"] * 2
    assert all(measured[i][1] == measured[i + 1][1] for i in range(0, 16, 2))
    table = capsys.readouterr().out
    assert "| patient list | 10.0 | 11.0 | 1.10 | 1.10 (1.10-1.10) |" in table
    assert "| patient detail | 10.0 | 11.0 | 1.10 | 1.10 (1.10-1.10) |" in table
