import sys

from fastsum import sum_of_squares


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"sum of squares below {n}: {sum_of_squares(n)}")
    print(f"check: {sum(i * i for i in range(n)) == sum_of_squares(n)}")
