"""Library writing: where an item's files go and the steps that write them."""
