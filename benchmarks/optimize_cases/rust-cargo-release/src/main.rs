//! Print the primes up to N (a sieve of Eratosthenes) and their count.
use std::env;

fn main() {
    let limit: usize = env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100);
    let mut sieve = vec![true; limit + 1];
    let mut primes = Vec::new();
    for n in 2..=limit {
        if sieve[n] {
            primes.push(n);
            let mut k = n * n;
            while k <= limit {
                sieve[k] = false;
                k += n;
            }
        }
    }
    let shown: Vec<String> = primes.iter().map(|p| p.to_string()).collect();
    println!("{}", shown.join(" "));
    println!("{} primes up to {}", primes.len(), limit);
}
