"""The self-check's Textract probe: a task with no permission stops; a busy fleet (throttling)
or the probe's bytes refused mean the call was allowed, so the task starts."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from eulereye.selfcheck import SELF_CHECK_DOCUMENT, CheckResult, _check_textract


class AnsweringTextract:
    def __init__(self, code: str | None):
        self.code = code
        self.sent: list[bytes] = []

    def detect_document_text(self, Document):  # noqa: N803 - boto3's argument name
        self.sent.append(Document["Bytes"])
        if self.code:
            raise ClientError({"Error": {"Code": self.code, "Message": "answered"}}, "DetectDocumentText")
        return {"Blocks": []}


@pytest.mark.parametrize("code", [None, "UnsupportedDocumentException", "ThrottlingException",
                                  "ProvisionedThroughputExceededException"])
def test_an_allowed_call_passes(code):
    textract, result = AnsweringTextract(code), CheckResult()
    _check_textract(textract, result)
    assert result.problems == [] and textract.sent == [SELF_CHECK_DOCUMENT]


@pytest.mark.parametrize("code", ["AccessDeniedException", "UnrecognizedClientException"])
def test_a_refused_permission_is_a_problem(code):
    result = CheckResult()
    _check_textract(AnsweringTextract(code), result)
    assert len(result.problems) == 1 and code in result.problems[0]
