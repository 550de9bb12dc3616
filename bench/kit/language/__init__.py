"""The plain-words parser's yardsticks: the request table, a generated corpus and the fire
times each request should give, computed independently of the parser."""
