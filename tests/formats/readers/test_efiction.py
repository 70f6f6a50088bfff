"""eFiction 3.5 exports (MySQL dump + stories/ folder) read into works; built here, own prose."""

# ruff: noqa: E501  (dump lines read best as mysqldump writes them)

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fanfold.formats.errors import FormatError
from fanfold.formats.model import SeriesRef
from fanfold.formats.readers.efiction import read_efiction, sql_values

DUMP = r"""-- MySQL dump 10.13
/*!40101 SET NAMES utf8 */;
DROP TABLE IF EXISTS `fanfiction_authors`;
CREATE TABLE `fanfiction_authors` (
  `uid` int(11) NOT NULL AUTO_INCREMENT,
  `penname` varchar(200) NOT NULL DEFAULT '',
  `realname` varchar(200) NOT NULL DEFAULT '',
  `email` varchar(200) NOT NULL DEFAULT '',
  `website` varchar(200) NOT NULL DEFAULT '',
  `bio` text NOT NULL,
  `image` varchar(200) NOT NULL DEFAULT '',
  `admincreated` int(11) NOT NULL DEFAULT '0',
  `password` varchar(40) NOT NULL DEFAULT '0',
  PRIMARY KEY (`uid`),
  KEY `penname` (`penname`)
) ENGINE=MyISAM DEFAULT CHARSET=utf8;
INSERT INTO `fanfiction_authors` VALUES (1,'Bramble','Rosa Thorn','bramble@example.org','','Writes about hobbits; likes \'second breakfast\'.','',0,'5f4dcc3b5aa765d61d8327deb882cf99'),(2,'Lantern','','lantern@example.org','','','',0,'0cc175b9c0f1b6a831c399e269772661');
INSERT INTO `fanfiction_categories` VALUES (1,-1,'The Lord of the Rings','','',0,0,1,2),(2,-1,'Discworld','','',0,0,2,1);
INSERT INTO `fanfiction_characters` VALUES (1,1,'Samwise Gamgee','',''),(2,1,'Frodo Baggins','',''),(3,2,'Sam Vimes','','');
INSERT INTO `fanfiction_ratings` VALUES (1,'G',0,''),(2,'PG-13',0,''),(3,'NC-17',1,'Adults only.'),(4,'Spicy',0,'');
INSERT INTO `fanfiction_classtypes` VALUES (1,'genres','Genres'),(2,'warnings','Warnings');
INSERT INTO `fanfiction_classes` VALUES (1,1,'Hurt/Comfort'),(2,1,'Humor'),(3,2,'Major Character Death');
INSERT INTO `fanfiction_series` (`seriesid`, `title`, `summary`, `uid`, `isopen`) VALUES (1,'Shire Seasons','Four stories, one garden.',1,0);
INSERT INTO `fanfiction_inseries` VALUES (1,1,0,1,1),(1,3,0,1,2);
INSERT INTO `fanfiction_stories` VALUES (1,'Potatoes in Winter','Sam keeps the garden going.','Written for a frost challenge.','1','1,3','1,2','2',1262304000,1264982400,1,'2',0,1,1,0,40,0,0,0,''),(2,'The Night Watch Bakes','Vimes and a loaf of bread.','','2','2','3','1',1300000000,1300000000,2,'',0,1,0,0,12,0,0,0,''),(3,'Second Spring','The garden again.','','1','','1','4',1400000000,1400000000,1,'',0,1,1,0,5,0,0,0,'');
INSERT INTO `fanfiction_chapters` VALUES (2,'Thaw',2,'','','<p>Fin.</p>',1,10,0,0,1,1,0),(1,'Frost',1,'<p>My first chapter.</p>','','',1,30,0,0,1,1,0),(3,'Crust',1,'','<p>Vimes stared at the dough; the dough did not blink.</p>\n<p>It was a standoff.</p>','',1,12,0,0,2,2,0),(4,'Shoots',1,'','Green shoots came up through the snow.','',1,5,0,0,3,1,0);
INSERT INTO `fanfiction_coauthors` VALUES (3,2);
"""

CHAPTER_FILES = {
    "1/1.txt": "<p>Sam knelt in the frozen bed and counted the potatoes twice.</p>",
    "1/2.txt": "<p>By March the ground gave way under his trowel, soft as bread.</p>",
}


def write_export(root: Path, dump: str = DUMP, files: dict[str, str] = CHAPTER_FILES) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "efiction.sql").write_text(dump, encoding="utf-8")
    for relative, text in files.items():
        path = root / "stories" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_sql_values_tokenizer() -> None:
    rows = list(sql_values(r"(1,'it''s \"x\"\\y',NULL,-2.5,'\n\t')", "d.sql"))
    assert rows == [(1, 'it\'s "x"\\y', None, -2.5, "\n\t")]


def test_authors_with_contact_details(tmp_path: Path) -> None:
    archive = read_efiction(write_export(tmp_path / "site"))
    pennames = [author.penname for author in archive.authors]
    assert pennames == ["Bramble", "Lantern"]
    bramble = archive.authors[0]
    assert bramble.email == "bramble@example.org"
    assert bramble.realname == "Rosa Thorn"
    assert "'second breakfast'" in bramble.bio


def test_multi_chapter_story_from_files_with_tags_and_series(tmp_path: Path) -> None:
    archive = read_efiction(write_export(tmp_path / "site"))
    works = {work.title: (owner, work) for owner, work in archive.works}
    owner, potatoes = works["Potatoes in Winter"]
    assert owner == "Bramble"
    assert potatoes.creators == ("Bramble", "Lantern")
    assert potatoes.fandoms == ("The Lord of the Rings",)
    assert potatoes.characters == ("Samwise Gamgee", "Frodo Baggins")
    assert potatoes.rating == "Teen And Up Audiences"
    assert potatoes.warnings == ("Major Character Death",)
    assert potatoes.freeforms == ("Hurt/Comfort",)
    assert potatoes.series == (SeriesRef("Shire Seasons", 1),)
    assert potatoes.complete
    assert potatoes.expected_chapters == 2
    assert potatoes.published == date(2010, 1, 1)
    assert potatoes.updated == date(2010, 2, 1)
    assert "frost challenge" in potatoes.notes
    assert "garden going" in potatoes.summary
    frost, thaw = potatoes.chapters  # ordered by inorder, not by row order
    assert frost.title == "Frost"
    assert "counted the potatoes" in frost.body
    assert "first chapter" in frost.notes
    assert thaw.title == "Thaw"
    assert "soft as bread" in thaw.body
    assert thaw.end_notes == "<p>Fin.</p>"


def test_storytext_in_database_rating_and_coauthor_table(tmp_path: Path) -> None:
    archive = read_efiction(write_export(tmp_path / "site"))
    works = {work.title: (owner, work) for owner, work in archive.works}
    owner, bakes = works["The Night Watch Bakes"]
    assert owner == "Lantern"
    assert bakes.fandoms == ("Discworld",)
    assert bakes.rating == "General Audiences"
    assert not bakes.complete
    assert bakes.expected_chapters is None
    assert "did not blink" in bakes.chapters[0].body
    assert bakes.chapters[0].body.count("<p>") == 2
    _, spring = works["Second Spring"]
    assert spring.creators == ("Bramble", "Lantern")
    assert spring.series == (SeriesRef("Shire Seasons", 2),)
    assert spring.rating == ""
    assert any("Spicy" in message for message in spring.messages)
    assert not any("validated" in message for message in spring.messages)


def test_unvalidated_story_is_flagged(tmp_path: Path) -> None:
    dump = DUMP.replace("1400000000,1400000000,1,'',0,1,1", "1400000000,1400000000,1,'',0,0,1")
    archive = read_efiction(write_export(tmp_path / "site", dump=dump))
    spring = next(work for _, work in archive.works if work.title == "Second Spring")
    assert any("not validated" in message for message in spring.messages)
    assert spring.chapters[0].body == "<p>Green shoots came up through the snow.</p>"


def test_dump_file_path_and_other_prefix(tmp_path: Path) -> None:
    dump = DUMP.replace("fanfiction_", "myarchive_")
    root = write_export(tmp_path / "site", dump=dump)
    archive = read_efiction(root / "efiction.sql")
    assert len(archive.works) == 3


def test_truncated_insert_names_the_dump(tmp_path: Path) -> None:
    cut = DUMP[: DUMP.index("(3,'Crust'") + 30]
    with pytest.raises(FormatError, match=r"efiction\.sql"):
        read_efiction(write_export(tmp_path / "site", dump=cut))
    cut_after_tuple = DUMP[: DUMP.index(",(3,'Crust'")]
    with pytest.raises(FormatError, match=r"efiction\.sql.*truncated"):
        read_efiction(write_export(tmp_path / "site2", dump=cut_after_tuple))


def test_parent_path_in_chapter_file_reference_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret").mkdir()
    (tmp_path / "secret" / "1.txt").write_text("not a story")
    dump = DUMP.replace(
        "(1,'Frost',1,'<p>My first chapter.</p>','','',1,30,0,0,1,1,0)",
        "(1,'Frost',1,'','','',1,30,0,0,1,'../../secret',0)",
    )
    with pytest.raises(FormatError, match="bad path"):
        read_efiction(write_export(tmp_path / "site", dump=dump))


def test_missing_chapter_file_is_named(tmp_path: Path) -> None:
    root = write_export(tmp_path / "site", files={"1/1.txt": "<p>Only one.</p>"})
    with pytest.raises(FormatError, match=r"stories/1/2\.txt"):
        read_efiction(root)


def test_row_with_wrong_column_count_is_refused(tmp_path: Path) -> None:
    dump = DUMP.replace("(1,'G',0,'')", "(1,'G',0)")
    with pytest.raises(FormatError, match="values for 4 columns"):
        read_efiction(write_export(tmp_path / "site", dump=dump))


def test_folder_without_dump_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FormatError, match="found 0"):
        read_efiction(tmp_path)


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="(),'\"\\-.0123456789NULabc \n`;", max_size=80))
def test_fuzzed_values_parse_or_raise_format_error(text: str) -> None:
    try:
        rows = list(sql_values(text, "fuzz.sql"))
    except FormatError:
        return
    assert all(isinstance(row, tuple) for row in rows)


@settings(max_examples=40, deadline=None)
@given(cut=st.integers(min_value=0, max_value=len(DUMP) - 1))
def test_dump_cut_anywhere_reads_or_raises_format_error(
    tmp_path_factory: pytest.TempPathFactory, cut: int
) -> None:
    root = write_export(tmp_path_factory.mktemp("cut"), dump=DUMP[:cut])
    message = ""
    try:
        archive = read_efiction(root)
    except FormatError as error:
        message = str(error)
    if message:  # whatever broke, the message names the file
        assert "efiction.sql" in message or "stories" in message
    else:
        assert all(isinstance(owner, str) for owner, _ in archive.works)
