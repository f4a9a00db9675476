"""Search an editor can use: relevant sections only, the query marked, each hit linked into its document."""

from conftest import app_client
from zongjie.web.kb_search import marks, query_terms


def test_marks_cut_text_at_the_query_terms():
    assert query_terms("困难职工帮扶")
    pieces = marks("走访慰问困难职工18户，帮扶资金3万元。", "困难职工帮扶")
    assert "".join(p for p, _ in pieces) == "走访慰问困难职工18户，帮扶资金3万元。"
    assert {p for p, hit in pieces if hit} >= {"困难", "职工", "帮扶"} or {p for p, hit in pieces if hit} >= {
        "困难职工",
        "帮扶",
    }


def test_a_phrase_of_the_query_is_marked_whole():
    pieces = marks("组织开展金秋助学活动，资助职工子女。", "金秋助学")
    assert [p for p, hit in pieces if hit] == ["金秋助学"]
    assert "".join(p for p, _ in pieces) == "组织开展金秋助学活动，资助职工子女。"


def test_a_phrase_the_tokenizer_cuts_is_marked_whole_and_single_characters_alone_are_not():
    text = "抓好职工之家建设，全县3家企业获评，国家级示范点1个。"
    assert [p for p, hit in marks(text, "职工之家") if hit] == ["职工之家"]
    assert [p for p, hit in marks("职工的家园", "职工之家") if hit] == ["职工"]  # 家 alone is not marked
    assert [p for p, hit in marks("一个家", "家") if hit] == ["家"]  # unless it is the whole query


def test_sections_holding_the_query_word_for_word_come_first(settings):
    settings = settings.model_copy(update={"vector_store": "memory"})
    with app_client(settings) as client:
        hits = client.get("/api/knowledge/search", params={"q": "职工之家", "k": 8}).json()
        assert hits
        literal = ["职工之家" in h["text"] or "职工之家" in "".join(h["heading_path"]) for h in hits]
        assert literal[0] and literal == sorted(literal, reverse=True)


def test_search_page_marks_hits_links_documents_and_admits_when_nothing_is_relevant(settings):
    settings = settings.model_copy(update={"vector_store": "memory"})
    with app_client(settings) as client:
        hits = client.get("/api/knowledge/search", params={"q": "困难职工帮扶", "k": 5}).json()
        assert hits and all(h["coverage"] >= 0.5 and h["matched"] for h in hits)
        page = client.get("/knowledge", params={"q": "困难职工帮扶"}).text
        assert "<mark>" in page
        first = hits[0]
        assert f"/knowledge/documents/{first['doc_id']}?q=" in page and f"#{first['id']}" in page
        doc_page = client.get(f"/knowledge/documents/{first['doc_id']}", params={"q": "困难职工帮扶"}).text
        assert f'id="{first["id"]}"' in doc_page or first["id"].endswith(("-opening", "-closing"))
        assert "<mark>" in doc_page
        # nothing in a union archive is about rocket launches: say so instead of listing unrelated sections
        assert client.get("/api/knowledge/search", params={"q": "火星探测器发射窗口"}).json() == []
        page = client.get("/knowledge", params={"q": "火星探测器发射窗口"}).text
        assert "没有与“火星探测器发射窗口”相关的内容" in page
        # query text is escaped, never markup
        page = client.get("/knowledge", params={"q": "<script>职工</script>"}).text
        assert "<script>职工" not in page
