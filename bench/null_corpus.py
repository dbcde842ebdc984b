"""Corpora for bench/null.py: a corpus directory read into documents per group, and the small
deterministic synthetic corpus of --tiny (two groups, Chinese and English, with Zipf-like word
frequencies, per-source topics, names, favourite concepts and tone, and per-document bursts)."""

from __future__ import annotations

import json
import random
from pathlib import Path


class Failure(Exception):
    """An error that ends a bench/null.py run with exit status 2 and a message."""


# ---- corpus directories ----------------------------------------------------------------------------


def read_text(path: Path) -> str:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def load_sources(corpus: Path) -> dict[str, str]:
    """SOURCES.json: {"files": {relative path: source}} or a flat {relative path: source}."""
    f = corpus / "SOURCES.json"
    if not f.is_file():
        return {}
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise Failure(f"cannot read {f}: {e}") from e
    files = data.get("files", data) if isinstance(data, dict) else None
    if not isinstance(files, dict):
        raise Failure(f"{f}: expected an object mapping file -> source")
    return {str(k): str(v) for k, v in files.items() if isinstance(v, (str, int))}


def load_corpus(corpus: Path, use_sources: bool = True) -> dict[str, list[dict]]:
    """Documents per group (first-level subdirectory), sorted by path."""
    if not corpus.is_dir():
        raise Failure(f"corpus directory not found: {corpus}")
    sources = load_sources(corpus) if use_sources else {}
    groups: dict[str, list[dict]] = {}
    for gdir in sorted(p for p in corpus.iterdir() if p.is_dir() and not p.name.startswith(".")):
        docs = []
        for f in sorted(gdir.rglob("*")):
            if not f.is_file() or f.name.startswith("."):
                continue
            if f.suffix.lower() not in (".txt", ".md", ".text"):
                continue
            rel = f.relative_to(corpus).as_posix()
            doc = {"id": rel, "text": read_text(f)}
            if rel in sources:
                doc["source"] = sources[rel]
            docs.append(doc)
        if docs:
            groups[gdir.name] = docs
    if not groups:
        raise Failure(f"{corpus}: no group subdirectories with .txt/.md files")
    return groups


def main_language(docs: list[dict]) -> str:
    """"zh" when Han characters outnumber Latin letters in the group, else "en"."""
    han = latin = 0
    for d in docs[:: max(1, len(docs) // 200)]:
        for ch in d["text"][:4000]:
            if "\u4e00" <= ch <= "\u9fff":
                han += 1
            elif ch.isascii() and ch.isalpha():
                latin += 1
    return "zh" if han > latin else "en"


# ---- tiny synthetic corpus ---------------------------------------------------------------

TINY_WORDS = {
    "en": {
        "general": (
            "day time people year way world life hand part place case week company system "
            "program question work government number night point home water room mother area "
            "money story fact month lot right study book eye job word business issue side kind "
            "head house service friend father power hour game line end member law car city "
            "community name president team minute idea kid body information back parent face "
            "others level office door health person art war history party result change morning "
            "reason research girl guy moment air teacher force education foot boy age policy "
            "process music market sense nation plan college interest death experience effect "
            "class control care field development role effort rate heart drug show leader light "
            "voice wife police mind report decision son view relationship town road arm"
        ).split(),
        "topics": (
            "river bridge stone valley forest mountain island harvest wheat barley cattle sheep "
            "engine factory steel machine wire signal radio tower cable circuit battery motor "
            "court judge trial verdict jury lawyer witness appeal sentence prison guard crime "
            "ship sail captain anchor voyage cargo sailor deck storm wave tide coast "
            "school lesson pupil exam grade chalk lecture essay library student campus course "
            "doctor nurse patient clinic fever medicine surgery injury hospital cure disease "
            "army soldier battle general siege cannon rifle march camp enemy fort flag "
            "farmer vineyard garden seed soil plough barn fence meadow field crop tractor "
            "bread butter cheese kitchen oven dinner supper soup plate spoon fork table "
            "church priest prayer bell choir altar saint sermon chapel bishop monk faith "
            "train station ticket platform carriage railway track passenger porter luggage "
            "painter canvas brush colour portrait gallery sculpture statue museum frame easel"
        ).split(),
        "names": (
            "marlowe quimby tresham ormsby fenwick halloran pemberton dunmore ashcombe "
            "wexley corbin lindqvist"
        ).split(),
        "concepts": "bank tax market gold oil risk energy police electricity regulation".split(),
        "positive": "good great happy excellent love wonderful success hope kind best".split(),
        "negative": "bad terrible sad poor fail angry worst fear loss crisis".split(),
        "sep": " ",
        "end": ".",
        "comma": ", ",
    },
    "zh": {
        "general": (
            "时间 工作 学校 城市 朋友 家庭 问题 社会 国家 发展 经济 文化 历史 生活 "
            "孩子 老师 学生 医生 公司 政府 机会 方法 技术 科学 环境 新闻 电视 手机 "
            "电脑 网络 音乐 电影 故事 记者 观众 读者 作者 房子 街道 公园 商店 饭店 "
            "火车 飞机 汽车 道路 天气 季节 早上 晚上 周末 假期 旅行 地方 农村 工厂 "
            "工人 农民 干部 会议 计划 报告 数据 结果 原因 影响 变化 关系 情况 条件 "
            "能力 水平 质量 数量 价格 收入 消费 生产 市场 企业 项目 服务 管理 教育 "
            "健康 医院 比赛 运动 球队 游戏 艺术 画家 作品 语言 文字 词语 句子 书籍"
        ).split(),
        "topics": (
            "河流 桥梁 石头 山谷 森林 高山 海岛 收获 小麦 牛羊 "
            "机器 钢铁 电线 信号 电台 铁塔 电缆 电池 马达 零件 "
            "法院 法官 审判 判决 律师 证人 上诉 监狱 罪犯 案件 "
            "轮船 船长 船员 航行 货物 水手 甲板 风暴 海浪 海岸 "
            "课堂 考试 成绩 粉笔 讲座 作文 图书馆 校园 课程 教室 "
            "护士 病人 诊所 发烧 药品 手术 伤口 病房 治疗 疾病 "
            "军队 士兵 战斗 将军 大炮 步枪 行军 营地 敌人 旗帜 "
            "农场 菜园 种子 土壤 谷仓 篱笆 草地 庄稼 拖拉机 果树 "
            "面包 黄油 奶酪 厨房 烤箱 晚饭 汤勺 盘子 筷子 餐桌 "
            "寺庙 和尚 祈祷 钟声 香火 菩萨 佛经 经书 香客 施主 "
            "车站 车票 站台 车厢 铁路 轨道 乘客 行李 列车 司机 "
            "画布 画笔 颜色 肖像 画廊 雕塑 雕像 博物馆 画框 展览"
        ).split(),
        "names": "宋江 林冲 鲁智深 贾政 王熙凤 刘备 孙权 唐僧 沙僧 方鸿渐 赵辛楣 孙柔嘉".split(),
        "concepts": "银行 税收 市场 黄金 石油 风险 能源 警方 电力 监管".split(),
        "positive": "满意 优秀 成功 喜欢 幸福 快乐 希望 美好 精彩 感谢".split(),
        "negative": "失望 糟糕 失败 担心 痛苦 愤怒 害怕 危机 损失 困难".split(),
        "sep": "",
        "end": "。",
        "comma": "，",
    },
}
TINY_GROUPS = (("domestic", "zh"), ("overseas", "en"))
TINY_DOCS = 300
TINY_SOURCES = 12


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1.0 / (r + 1) ** s for r in range(n)]


def tiny_corpus() -> dict[str, list[dict]]:
    """A deterministic synthetic corpus: per group 300 documents from 12 sources. Each source
    has its own topic words, a name, two favourite concepts and a tone; each document repeats a
    few words of its own (bursts). Token-level tests call such clustering significant."""
    groups = {}
    for group, lang in TINY_GROUPS:
        w = TINY_WORDS[lang]
        rng = random.Random(f"duibi-null-tiny:{group}")
        general, topics = list(w["general"]), list(w["topics"])
        gen_w = zipf_weights(len(general))
        per = len(topics) // TINY_SOURCES
        sources = []
        for s in range(TINY_SOURCES):
            words = topics[s * per : (s + 1) * per]
            rng.shuffle(words)
            sources.append(
                {
                    "name": f"tiny_{lang}_{s:02d}",
                    "topic": words,
                    "topic_w": zipf_weights(len(words), 0.8),
                    "person": w["names"][s % len(w["names"])],
                    "concepts": rng.sample(w["concepts"], 2),
                    "p_pos": rng.uniform(0.2, 0.8),
                }
            )
        src_w = zipf_weights(TINY_SOURCES, 0.7)
        docs = []
        for i in range(TINY_DOCS):
            src = rng.choices(sources, src_w)[0]
            bursts = rng.choices(general, gen_w, k=2)
            n_words = min(200, 30 + int(rng.expovariate(1 / 50)))
            sentences, sent = [], []
            for _ in range(n_words):
                u = rng.random()
                if u < 0.30:
                    tok = rng.choices(src["topic"], src["topic_w"])[0]
                elif u < 0.34:
                    tok = src["person"]
                elif u < 0.38:
                    tok = rng.choice(src["concepts"])
                elif u < 0.40:
                    tok = rng.choice(w["concepts"])
                elif u < 0.46:
                    pol = "positive" if rng.random() < src["p_pos"] else "negative"
                    tok = rng.choice(w[pol])
                elif u < 0.52:
                    tok = rng.choice(bursts)
                else:
                    tok = rng.choices(general, gen_w)[0]
                sent.append(tok)
                if len(sent) >= rng.randint(6, 14):
                    sentences.append(sent)
                    sent = []
            if sent:
                sentences.append(sent)
            text = " ".join(
                w["sep"].join(s[: len(s) // 2]) + w["comma"] + w["sep"].join(s[len(s) // 2 :]) + w["end"]
                if len(s) > 3
                else w["sep"].join(s) + w["end"]
                for s in sentences
            )
            if lang == "en":
                text = ". ".join(p[:1].upper() + p[1:] for p in text.split(". "))
            docs.append({"id": f"{group}/t{i:04d}.txt", "source": src["name"], "text": text})
        groups[group] = docs
    return groups


def write_corpus(groups: dict[str, list[dict]], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for docs in groups.values():
        for d in docs:
            p = out / d["id"]
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(d["text"] + "\n", encoding="utf-8")
            if "source" in d:
                files[d["id"]] = d["source"]
    (out / "SOURCES.json").write_text(
        json.dumps({"files": files}, ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )


