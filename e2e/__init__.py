"""Local end-to-end platform: moto server + terraform apply + a runner for Lambda and Fargate.
Test and developer tooling only; never part of the worker image."""
