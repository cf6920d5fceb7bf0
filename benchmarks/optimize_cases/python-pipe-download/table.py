"""Prints the release table with the vendored tabulate source release."""

from tabulate import tabulate

RELEASES = [("1.0.0", "2024-01-10", 3), ("1.1.0", "2024-03-02", 7), ("1.2.0", "2024-06-18", 4)]
print(tabulate(RELEASES, headers=["version", "date", "fixes"], tablefmt="github"))
