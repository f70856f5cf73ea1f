# The real test files (pages, Textract responses, book pages) in .testdata/, each checked by
# SHA-256: from ../shared/data when it is there, else from $EULEREYE_TESTDATA_MIRROR, else from
# their public sources (tools/testdata.json). Quick when the cache is already complete.
.PHONY: testdata
testdata:  ## fetch the real test files into .testdata/ (make test runs it)
	@$(PYTHON) -m tools.testdata
