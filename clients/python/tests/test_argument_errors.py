"""One kind of argument error: every argument the SDK refuses before sending raises
`ArgumentError`, a `HelplineError` with code 422 that is also a `ValueError` and a
`TypeError` (what some calls raised before)."""

import pytest

from helpline import ArgumentError, AsyncClient, ErrorCode, HelplineError, require_approval
from helpline import wire
from helpline.aio import build_ask
from helpline.curve import load_key_file


def _is_the_one_kind(error):
    assert isinstance(error, ArgumentError)
    assert isinstance(error, HelplineError) and error.code == ErrorCode.INVALID
    assert isinstance(error, ValueError) and isinstance(error, TypeError)


def test_ask_arguments():
    with pytest.raises(ArgumentError) as caught:
        build_ask(skills="refunds")
    _is_the_one_kind(caught.value)
    with pytest.raises(ArgumentError) as caught:
        build_ask(deadline=-1)
    _is_the_one_kind(caught.value)


def test_encoding_a_shared_command_without_its_signature():
    with pytest.raises(ArgumentError) as caught:
        wire.encode(wire.Error(code=422, text="x"))
    _is_the_one_kind(caught.value)


def test_a_key_file_that_holds_no_key(tmp_path):
    path = tmp_path / "empty.key"
    path.write_text("# nothing here\n")
    with pytest.raises(ArgumentError) as caught:
        load_key_file(str(path))
    _is_the_one_kind(caught.value)


def test_require_approval_given_an_async_client():
    client = AsyncClient.__new__(AsyncClient)

    @require_approval(client=client)
    def refund(amount: int) -> int:
        return amount

    with pytest.raises(ArgumentError) as caught:
        refund(40)
    _is_the_one_kind(caught.value)
