/* gongkai search UI: see src/search. */
