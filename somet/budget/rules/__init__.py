"""PURE money rules of a cohort's budget: amounts with their currency, conversion, totals,
suggested quantities (``money``), and the budget page's figures (``summary``)."""
