/** Props a test changes in place: a `$state` object, so a mounted component sees exactly the fields that changed. */
export function reactiveProps<T extends object>(initial: T): T {
  const props = $state(initial);
  return props;
}
