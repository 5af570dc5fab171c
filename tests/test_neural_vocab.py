import pytest

from pseudogen.errors import PseudogenError
from pseudogen.neural.vocab import BOS_ID, EOS_ID, SPECIALS, UNK, UNK_ID, Vocab

SENTENCES = [["a", "b", "a"], ["a", "c", "b"], ["d"]]


def test_build_keeps_tokens_seen_more_than_min_count():
    vocab = Vocab.build(SENTENCES, min_count=1)
    assert vocab.tokens == list(SPECIALS) + ["a", "b"]


def test_build_orders_by_frequency_then_alphabet():
    assert Vocab.build(SENTENCES, min_count=0).tokens[4:] == ["a", "b", "c", "d"]


def test_encode_maps_unknown_to_unk():
    vocab = Vocab.build(SENTENCES, min_count=1)
    assert vocab.encode(["a", "zzz", "b"]) == [4, UNK_ID, 5]


def test_extended_ids_for_source_oovs():
    vocab = Vocab.build(SENTENCES, min_count=1)
    oovs = vocab.source_oovs(["x", "a", "y", "x"])
    assert oovs == ["x", "y"]
    assert vocab.encode_extended(["y", "a", "q"], oovs) == [7, 4, UNK_ID]
    assert vocab.decode([BOS_ID, 7, 4, 6, 99, EOS_ID, 5], oovs) == ["y", "a", "x", UNK]


def test_save_load_round_trip(tmp_path):
    vocab = Vocab.build(SENTENCES, min_count=0)
    vocab.save(tmp_path / "v.json")
    assert Vocab.load(tmp_path / "v.json").tokens == vocab.tokens


@pytest.mark.parametrize("content", ["not json", '{"a": 1}', '["a", "b"]'])
def test_bad_vocab_file_is_a_user_error(tmp_path, content):
    (tmp_path / "v.json").write_text(content)
    with pytest.raises(PseudogenError):
        Vocab.load(tmp_path / "v.json")
