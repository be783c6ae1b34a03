using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "quotes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    number = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    title = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    customer_name = table.Column<string>(type: "nvarchar(200)", maxLength: 200, nullable: false),
                    amount = table.Column<decimal>(type: "decimal(15,2)", precision: 15, scale: 2, nullable: false),
                    currency = table.Column<string>(type: "nchar(3)", fixedLength: true, maxLength: 3, nullable: false),
                    status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    approval_status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_quotes", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "approval_instance",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    quote_id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    sp_no = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    third_no = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: false),
                    template_id = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    kind = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: false),
                    is_open = table.Column<bool>(type: "bit", nullable: false),
                    submitted_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    last_event_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    last_synced_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: true),
                    version = table.Column<Guid>(type: "uniqueidentifier", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approval_instance", x => x.id);
                    table.ForeignKey(
                        name: "fk_approval_instance_quotes_quote_id",
                        column: x => x.quote_id,
                        principalTable: "quotes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "approval_timeline",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uniqueidentifier", nullable: false),
                    event_key = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: false),
                    source = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    event_name = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    raw_status = table.Column<int>(type: "int", nullable: true),
                    mapped_status = table.Column<string>(type: "nvarchar(32)", maxLength: 32, nullable: true),
                    outcome = table.Column<string>(type: "nvarchar(16)", maxLength: 16, nullable: false),
                    rule = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    quote_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    approval_instance_id = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    sp_no = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    third_no = table.Column<string>(type: "nvarchar(40)", maxLength: 40, nullable: true),
                    occurred_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    received_at = table.Column<DateTimeOffset>(type: "datetimeoffset", nullable: false),
                    payload = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approval_timeline", x => x.id);
                    table.ForeignKey(
                        name: "fk_approval_timeline_approval_instance_approval_instance_id",
                        column: x => x.approval_instance_id,
                        principalTable: "approval_instance",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "fk_approval_timeline_quotes_quote_id",
                        column: x => x.quote_id,
                        principalTable: "quotes",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_is_open_last_synced_at",
                table: "approval_instance",
                columns: new[] { "is_open", "last_synced_at" });

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_quote_id_submitted_at",
                table: "approval_instance",
                columns: new[] { "quote_id", "submitted_at" });

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_sp_no",
                table: "approval_instance",
                column: "sp_no",
                unique: true,
                filter: "[sp_no] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_third_no",
                table: "approval_instance",
                column: "third_no");

            migrationBuilder.CreateIndex(
                name: "ux_approval_instance_open_per_quote",
                table: "approval_instance",
                column: "quote_id",
                unique: true,
                filter: "is_open = 1");

            migrationBuilder.CreateIndex(
                name: "ix_approval_timeline_approval_instance_id",
                table: "approval_timeline",
                column: "approval_instance_id");

            migrationBuilder.CreateIndex(
                name: "ix_approval_timeline_event_key",
                table: "approval_timeline",
                column: "event_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_approval_timeline_quote_id_received_at",
                table: "approval_timeline",
                columns: new[] { "quote_id", "received_at" });

            migrationBuilder.CreateIndex(
                name: "ix_quotes_created_at",
                table: "quotes",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_quotes_number",
                table: "quotes",
                column: "number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_quotes_status_created_at",
                table: "quotes",
                columns: new[] { "status", "created_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_timeline");

            migrationBuilder.DropTable(
                name: "approval_instance");

            migrationBuilder.DropTable(
                name: "quotes");
        }
    }
}
