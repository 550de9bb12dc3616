"""Local peers on 127.0.0.1 that speak an outside service's documented wire format."""
