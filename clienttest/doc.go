// Package clienttest drives a running tpserver with real PostgreSQL clients
// (psql, pgx, lib/pq, pgjdbc, psycopg2, node-postgres) and compares every
// answer with the one a throwaway PostgreSQL 15 cluster gives for the same
// data. TestDifferential runs the statements of testdata/differential on both
// servers and compares every answer; the differences still allowed are
// listed there, and in the README, with their reasons. It holds only tests
// and the client programs they run.
package clienttest
