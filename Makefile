# The two commands of the README's quick start.
.PHONY: run test bench

run:   ## set up, then run the hub on SQLite with Ninh Bình loaded
	./scripts/bootstrap.sh
	.venv/bin/eoffice up ninh-binh

test:  ## set up, then lint, type-check and run the whole suite (SQLite and PostgreSQL)
	./scripts/bootstrap.sh
	./scripts/check.sh

bench: ## set up, then run the exchange benchmark (Locust against a local hub)
	./scripts/bootstrap.sh
	.venv/bin/eoffice bench
