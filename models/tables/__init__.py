"""The store's tables (SQLModel), one module per aggregate."""
