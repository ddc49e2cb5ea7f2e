/**
 * Opens the database Tandem runs on, embedded SQLite by default or PostgreSQL, and migrates
 * it with Flyway from one folder per dialect ({@code db/sqlite}, {@code db/postgresql}).
 * Packages get a {@link dev.tandem.store.Database} and own their tables; nobody else queries them.
 */
package dev.tandem.store;
