/** What `make` gives for a key, made the first time the key is asked for and kept: a client per region, a budget per account-region. */
export function oncePerKey<T>(make: (key: string) => T): (key: string) => T {
  const made = new Map<string, T>();
  return (key) => {
    const known = made.get(key) ?? make(key);
    made.set(key, known);
    return known;
  };
}
