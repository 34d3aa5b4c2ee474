package teamgen

// langs holds the per-language pools of the code generator. The lines are
// plausible rather than compilable: what matters is that they look and
// tokenise like real code, so highlighting them costs what real posts cost.
var langs = map[string]*langDef{
	"go": {
		fences: []string{"go", "golang"}, hint: "lang-go", indent: "\t",
		header: []string{"package %i", `import "context"`, `import (` + "\n\t\"errors\"\n\t\"net/http\"\n)", `import "github.com/acme/%i/internal/store"`},
		units: []nestDef{
			{"func (s *%N) %N(ctx context.Context, %i string) error {", "}"},
			{"func %i(w http.ResponseWriter, r *http.Request) {", "}"},
			{"type %N struct {", "}"},
			{"func Test%N(t *testing.T) {", "}"},
		},
		body: []string{
			"%i, err := s.store.Get(ctx, %i)", "if err != nil { return fmt.Errorf(\"get %s: %%w\", err) }",
			"defer %i.Close()", "ctx, cancel := context.WithTimeout(ctx, %d*time.Second)", "defer cancel()",
			"%i := make(map[string]int, %d)", "%i = append(%i, %i)", "log.Info(\"%s\", \"%i\", %i)",
			"return nil", "var wg sync.WaitGroup", "mu.Lock()", "mu.Unlock()", "%i := &%N{Name: \"%s\"}",
			"resp, err := http.DefaultClient.Do(req)", "w.WriteHeader(http.StatusOK)", "%i <- %i",
			"select { case <-ctx.Done(): return ctx.Err() default: }", "%N %N `json:\"%i\"`",
		},
		nests: []nestDef{
			{"if err != nil {", "}"}, {"for _, %n := range %i {", "}"}, {"go func() {", "}()"},
			{"switch %i {", "}"}, {"if %i == nil {", "}"}, {"select {", "}"},
		},
	},
	"python": {
		fences: []string{"python", "py", "python3"}, hint: "lang-python", indent: "    ", snake: true,
		header: []string{"import asyncio", "import logging", "from dataclasses import dataclass", "from typing import Any, Optional", "import pandas as pd", "from app.models import %N"},
		units: []nestDef{
			{"def %n(%i, %i=None):", ""}, {"async def %n(session, %i):", ""}, {"class %N:", ""},
			{"@pytest.fixture\ndef %n(tmp_path):", ""},
		},
		body: []string{
			"%i = %i.get(\"%s\", %d)", "logger.info(\"%s: %%s\", %i)", "return %i", "%i.append(%i)",
			"await asyncio.sleep(%d)", "raise ValueError(f\"bad {%i!r}\")", "%i = [x for x in %i if x]",
			"df = pd.read_csv(\"%s\", dtype=str)", "%i: Optional[%N] = None", "yield %i",
			"%i = await %i.fetch(\"%s\")", "assert %i == %d", "self.%i = %i", "pass",
		},
		nests: []nestDef{
			{"for %n in %i:", ""}, {"if %i is None:", ""}, {"try:", ""}, {"with open(\"%s\") as %n:", ""},
			{"async with %i.begin():", ""}, {"while %i:", ""},
		},
	},
	"javascript": {
		fences: []string{"js", "javascript", "jsx"}, hint: "lang-js", indent: "  ",
		header: []string{"import React, { useEffect, useState } from 'react';", "const express = require('express');", "import { %i } from './%i.js';", "'use strict';"},
		units: []nestDef{
			{"export async function %n(%i, %i) {", "}"}, {"const %n = (%i) => {", "};"},
			{"app.get('/api/%n/:id', async (req, res) => {", "});"}, {"describe('%N', () => {", "});"},
		},
		body: []string{
			"const %i = await fetch(`/api/${%i}`);", "if (!%i.ok) throw new Error('%s');", "return %i.json();",
			"console.log('%s', %i);", "setState((prev) => ({ ...prev, %i }));", "const [%i, set%N] = useState(null);",
			"%i.push(%i);", "res.status(%d).json({ error: '%s' });", "expect(%i).toEqual(%d);",
			"const { %i, %i } = req.body;", "await Promise.all(%i.map(process));", "let %i = %d;",
		},
		nests: []nestDef{
			{"if (%i) {", "}"}, {"for (const %n of %i) {", "}"}, {"try {", "} catch (err) {\n    console.error(err);\n  }"},
			{"useEffect(() => {", "}, [%i]);"}, {"it('handles %s', async () => {", "});"},
		},
	},
	"typescript": {
		fences: []string{"ts", "typescript", "tsx"}, hint: "lang-ts", indent: "  ",
		header: []string{"import type { %N } from './types';", "import { z } from 'zod';", "import { Injectable } from '@nestjs/common';"},
		units: []nestDef{
			{"export async function %n(%i: %N): Promise<%N> {", "}"}, {"export interface %N {", "}"},
			{"export class %N {", "}"}, {"type %N =", ";"},
		},
		body: []string{
			"%i: string;", "readonly %i?: number;", "const %i: %N[] = [];", "return %i as %N;",
			"if (%i === undefined) throw new Error('%s');", "| { kind: '%i'; value: %N }",
			"const %i = await this.%i.find({ where: { %i } });", "private readonly %i = new Map<string, %N>();",
			"%i satisfies %N;", "export const %i = z.object({ %i: z.string() });",
		},
		nests: []nestDef{{"if (%i) {", "}"}, {"for (const %n of %i) {", "}"}, {"switch (%i.kind) {", "}"}},
	},
	"java": {
		fences: []string{"java"}, hint: "lang-java", indent: "    ",
		header: []string{"package com.acme.%i;", "import java.util.List;", "import java.util.concurrent.CompletableFuture;", "import org.springframework.stereotype.Service;"},
		units: []nestDef{
			{"public class %N {", "}"}, {"@Service\npublic class %N {", "}"},
			{"public List<%N> %n(String %i) throws IOException {", "}"},
		},
		body: []string{
			"private final %N %i;", "List<%N> %i = new ArrayList<>();", "log.info(\"%s {}\", %i);",
			"return %i.stream().map(%N::from).toList();", "throw new IllegalStateException(\"%s\");",
			"%i.add(%i);", "CompletableFuture<%N> %i = client.sendAsync(request);", "@Transactional",
			"Optional<%N> %i = repository.findById(id);", "this.%i = %i;", "int %i = %d;",
		},
		nests: []nestDef{
			{"if (%i == null) {", "}"}, {"for (%N %n : %i) {", "}"}, {"try {", "} catch (Exception e) {\n        throw new RuntimeException(e);\n    }"},
			{"public void %n() {", "}"}, {"synchronized (this) {", "}"},
		},
	},
	"csharp": {
		fences: []string{"csharp", "cs", "c#"}, hint: "lang-cs", indent: "    ",
		header: []string{"using System;", "using System.Threading.Tasks;", "using Microsoft.EntityFrameworkCore;", "namespace Acme.%N;"},
		units: []nestDef{
			{"public class %N\n{", "}"}, {"public async Task<%N> %NAsync(string %i, CancellationToken ct)\n{", "}"},
			{"public sealed class %NHandler : IRequestHandler<%N>\n{", "}"},
		},
		body: []string{
			"var %i = await _db.%N.FirstOrDefaultAsync(x => x.Id == %i, ct);", "_logger.LogInformation(\"%s {Id}\", %i);",
			"return %i;", "private readonly %N _%i;", "%i.Add(%i);", "throw new InvalidOperationException(\"%s\");",
			"await Task.Delay(%d, ct);", "services.AddScoped<I%N, %N>();", "public string %N { get; init; } = \"\";",
			"using var %i = new HttpClient();",
		},
		nests: []nestDef{
			{"if (%i is null)\n{", "}"}, {"foreach (var %n in %i)\n{", "}"}, {"try\n{", "}\ncatch (Exception ex)\n{\n    throw;\n}"},
		},
	},
	"cpp": {
		fences: []string{"cpp", "c++"}, hint: "lang-cpp", indent: "    ",
		header: []string{"#include <vector>", "#include <memory>", "#include <string_view>", "#include \"%i.h\""},
		units: []nestDef{
			{"std::vector<%N> %n(const std::string& %i) {", "}"}, {"class %N {", "};"},
			{"template <typename T>\nvoid %n(T&& %i) {", "}"},
		},
		body: []string{
			"auto %i = std::make_unique<%N>(%d);", "%i.push_back(std::move(%i));", "return %i;",
			"std::lock_guard<std::mutex> lock(mu_);", "std::cout << \"%s\" << %i << '\\n';",
			"static_assert(sizeof(%N) == %d);", "const auto& %i = %i.at(%d);", "%i->reset();",
		},
		nests: []nestDef{{"if (!%i) {", "}"}, {"for (const auto& %n : %i) {", "}"}, {"while (%i > %d) {", "}"}},
	},
	"sql": {
		fences: []string{"sql", "pgsql", "postgresql"}, hint: "lang-sql", indent: "  ", snake: true,
		units: []nestDef{
			{"SELECT o.%i, c.%i, count(*) AS n", ";"}, {"UPDATE %i", ";"}, {"WITH recent AS (", ")\nSELECT * FROM recent;"},
			{"CREATE INDEX CONCURRENTLY idx_%n ON %i (%i);", ""},
		},
		body: []string{
			"FROM orders o", "JOIN customers c ON c.id = o.customer_id", "WHERE o.created_at >= now() - interval '%d days'",
			"AND o.status NOT IN ('cancelled', 'refunded')", "GROUP BY o.%i, c.%i", "ORDER BY n DESC", "LIMIT %d",
			"SET %i = %i + 1", "WHERE %i = $1", "AND %i IS NOT NULL", "ON CONFLICT (%i) DO UPDATE SET %i = EXCLUDED.%i",
		},
		nests: []nestDef{{"AND EXISTS (", ")"}, {"LEFT JOIN LATERAL (", ") x ON true"}},
	},
	"bash": {
		fences: []string{"bash", "sh", "shell", "console"}, hint: "lang-bash", indent: "  ", snake: true,
		header: []string{"#!/usr/bin/env bash", "set -euo pipefail", "IFS=$'\\n\\t'"},
		units:  []nestDef{{"%n() {", "}"}, {"if [[ -z \"${%i:-}\" ]]; then", "fi"}, {"for f in ./%i/*.json; do", "done"}},
		body: []string{
			"echo \"%s: $%i\" >&2", "kubectl -n %i get pods -o wide", "curl -sSf -H \"Authorization: Bearer $TOKEN\" https://%i.internal/health",
			"git rebase -i HEAD~%d", "jq -r '.items[] | .%i' < \"$f\"", "docker build -t %i:latest .", "local %i=\"$1\"",
			"export %i=%d", "aws s3 cp \"s3://acme-%i/$%i\" .", "return 1", "sleep %d",
		},
		nests: []nestDef{{"if ! command -v %i >/dev/null; then", "fi"}, {"while read -r %n; do", "done"}, {"case \"$%i\" in", "esac"}},
	},
	"yaml": {
		fences: []string{"yaml", "yml"}, hint: "lang-yaml", indent: "  ", snake: true,
		units: []nestDef{{"%n:", ""}, {"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %n\nspec:", ""}, {"jobs:", ""}},
		body: []string{
			"%i: %d", "%i: \"%s\"", "image: registry.acme.io/%i:1.%d.0", "- name: %i", "memory: \"%dMi\"",
			"enabled: true", "runs-on: ubuntu-latest", "- run: make test", "replicas: %d", "path: /healthz",
		},
		nests: []nestDef{{"%n:", ""}, {"- name: %n", ""}, {"env:", ""}, {"resources:", ""}},
	},
	"json": {fences: []string{"json"}, hint: "lang-json"},
	"rust": {
		fences: []string{"rust", "rs"}, hint: "lang-rust", indent: "    ", snake: true,
		header: []string{"use std::sync::Arc;", "use tokio::sync::Mutex;", "use serde::{Deserialize, Serialize};", "use anyhow::Result;"},
		units: []nestDef{
			{"pub async fn %n(%i: &str) -> Result<%N> {", "}"}, {"impl %N {", "}"},
			{"#[derive(Debug, Serialize, Deserialize)]\npub struct %N {", "}"},
		},
		body: []string{
			"let %i = %i.lock().await;", "let mut %i = Vec::with_capacity(%d);", "%i.push(%i.clone());",
			"return Ok(%i);", "tracing::info!(%i = ?%i, \"%s\");", "let %i = %i.get(\"%s\").ok_or(Error::Missing)?;",
			"pub %i: Option<String>,", "Ok(())", "drop(%i);",
		},
		nests: []nestDef{
			{"if let Some(%n) = %i {", "}"}, {"for %n in %i.iter() {", "}"}, {"match %i {", "}"}, {"tokio::spawn(async move {", "});"},
		},
	},
	"dockerfile": {
		fences: []string{"dockerfile", "docker"}, hint: "lang-dockerfile", snake: true,
		units: []nestDef{{"FROM golang:1.%d AS build", ""}, {"FROM python:3.12-slim", ""}, {"FROM gcr.io/distroless/static", ""}},
		body: []string{
			"WORKDIR /src", "COPY go.mod go.sum ./", "RUN go mod download", "COPY . .", "RUN CGO_ENABLED=0 go build -o /out/%i ./cmd/%i",
			"RUN pip install --no-cache-dir -r requirements.txt", "ENV %i=%d", "EXPOSE %d", "USER 65532:65532", "ENTRYPOINT [\"/%i\"]",
			"COPY --from=build /out/%i /%i", "ARG %i",
		},
	},
	"hcl": {
		fences: []string{"hcl", "terraform", "tf"}, hint: "lang-hcl", indent: "  ", snake: true,
		units: []nestDef{{"resource \"aws_s3_bucket\" \"%n\" {", "}"}, {"module \"%n\" {", "}"}, {"variable \"%n\" {", "}"}},
		body:  []string{"%i = \"%s\"", "%i = %d", "source = \"../modules/%i\"", "tags = local.common_tags", "type = string", "count = var.enabled ? 1 : 0"},
		nests: []nestDef{{"lifecycle {", "}"}, {"dynamic \"%n\" {", "}"}, {"%n = {", "}"}},
	},
	"powershell": {
		fences: []string{"powershell", "ps1"}, hint: "lang-powershell", indent: "    ",
		units: []nestDef{{"function Get-%N {", "}"}, {"foreach ($%n in $%i) {", "}"}},
		body:  []string{"$%i = Get-ChildItem -Path \"%s\" -Recurse", "Write-Host \"%s $%i\"", "Invoke-RestMethod -Uri $%i -Headers $headers", "$%i = %d", "return $%i"},
		nests: []nestDef{{"if ($%i -eq $null) {", "}"}, {"try {", "} catch {\n    Write-Error $_\n}"}},
	},
	"xml": {
		fences: []string{"xml"}, hint: "lang-xml", indent: "  ",
		header: []string{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"},
		units:  []nestDef{{"<%n>", "</%n>"}, {"<project xmlns=\"http://maven.apache.org/POM/4.0.0\">", "</project>"}},
		body:   []string{"<%i>%s</%i>", "<version>1.%d.0</version>", "<groupId>com.acme</groupId>", "<artifactId>%i</artifactId>", "<scope>test</scope>"},
		nests:  []nestDef{{"<%n>", "</%n>"}, {"<dependency>", "</dependency>"}},
	},
	"kotlin": {
		fences: []string{"kotlin", "kt"}, hint: "lang-kotlin", indent: "    ",
		header: []string{"package com.acme.%i", "import kotlinx.coroutines.flow.Flow"},
		units:  []nestDef{{"suspend fun %n(%i: String): %N {", "}"}, {"data class %N(", ")"}, {"class %N(private val %i: %N) {", "}"}},
		body:   []string{"val %i = %i.await()", "val %i: String,", "return %i.copy(%i = %d)", "println(\"%s $%i\")", "%i.forEach { it.close() }", "var %i = %d"},
		nests:  []nestDef{{"if (%i == null) {", "}"}, {"%i.collect { %n ->", "}"}, {"when (%i) {", "}"}},
	},
}
