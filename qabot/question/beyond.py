"""Question text → what it asks that no news report answers, whatever the articles hold: a forecast ("明天天气咋样",
"what's the weather going to be like this week"), a recommendation made to the user ("推荐几部好看的电影", "can you
recommend a good hotel"), something written to order ("帮我写首诗", "tell me a joke") or instructions
("红烧肉怎么做才好吃", "any tips for a sourdough starter"). Such a question is declined
as such, rather than answered from the sentence nearest in words (a report's weather, a report's restaurant).

A report's own forecast or advice is another matter: "气象台预计明天降温多少" and "What did the review recommend?"
ask what an article says, and are no such request."""

from __future__ import annotations

import re

# The weather or temperature of a day still to come.
_FORECAST = re.compile(
    r"(?:明天|后天|明早|明晚|今晚|这周|本周|下周|周末|未来几天)[^。？?！!]{0,10}?"
    r"(?:天气|气温|冷不冷|热不热|下不下[雨雪]|会不会下[雨雪]|会下[雨雪])"
    r"|\bwill it (?:rain|snow)\b"
    r"|\bweather\b[^.?!]{0,30}?\b(?:tomorrow|tonight|this week(?:end)?|next week|gonna|going to be)\b"
    r"|\b(?:tomorrow|tonight|this week(?:end)?|next week)\b[^.?!]{0,30}?\bweather\b"
    r"|\bweather forecast\b", re.I)
# A recommendation asked of the bot: "推荐几部/推荐一下", "有什么好吃的", "哪款…性价比高", "can you recommend",
# "what's a good …" (not "专家推荐了什么", which asks what an article says).
_ADVICE = re.compile(
    r"推荐(?:一下|几|[个点些]|一[部个款本家首])|有(?:什么|啥)[^。？?！!]{0,8}?推荐"
    r"|(?:什么|啥)[^。？?！!]{0,4}?(?:好吃|好玩|好看)的"
    r"|哪[款家个部本][^。？?！!]{0,10}?(?:性价比|好用|值得买)"
    r"|\b(?:can|could|would) you (?:recommend|suggest)\b"
    r"|\brecommend (?:me )?(?:a|an|some|any) (?:good|great|nice|decent|cheap)\b"
    r"|\bwhat(?:'s| is) a good\b", re.I)
# Writing to order: a poem, a story, a joke.
_WRITING = re.compile(
    r"(?:写|作|编)一?[首篇段个][^。？?！!]{0,10}?(?:诗|歌|故事|笑话|段子|作文)|讲一?个(?:笑话|故事)"
    r"|\b(?:write|compose) (?:me )?(?:a|an) (?:\w+ )?(?:poem|song|story|haiku|limerick|essay)\b"
    r"|\btell me a (?:joke|story)\b", re.I)

# Instructions for the user's own ends: a recipe, "the best way to", "how do I", "怎么做才好吃" (not "how did the
# fire spread", nor "怎么处理的", which ask what happened).
# "How do I apply for the fund?" and "did police get any tips on the driver" may be answered by a report: only the
# household's, kitchen's and garden's verbs after "how do I".
_HOWTO = re.compile(
    r"\bbest way to\b|\b(?:any|some|good|quick|got|give me) tips? for\b|\b(?:some|good|quick|give me) tips? on\b"
    r"|\b(?:good|quick|easy|simple|best|nice|decent)\s+(?:[a-z]+\s+){0,3}?recipes?\b"
    r"|\bhow (?:do|can|should|would) (?:i|we|you|u) (?:make|cook|bake|fix|repair|change|clean|get rid of|remove|learn|"
    r"convert|say|spell|pronounce|renew|grow|install|unblock|descale|bleed)\b"
    r"|(?:怎么|咋|如何|怎样)(?:做|弄|除|去掉|洗|煮|炖|烧|炒|腌)[^。？?！!]{0,6}?(?:才|最|好吃|不腻)|菜谱|食谱", re.I)

KINDS = (("forecast", _FORECAST), ("advice", _ADVICE), ("writing", _WRITING), ("howto", _HOWTO))


def beyond_reports(question: str) -> str:
    """"forecast", "advice", "writing" or "howto" when the question asks for one of those of the bot, else ""."""
    return next((kind for kind, pattern in KINDS if pattern.search(question)), "")
