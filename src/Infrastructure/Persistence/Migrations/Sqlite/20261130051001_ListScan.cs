using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListScan : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "approval_list_scan",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    next_scan_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_scanned_at = table.Column<long>(type: "INTEGER", nullable: true),
                    failures = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    version = table.Column<Guid>(type: "TEXT", nullable: false),
                    lock_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approval_list_scan", x => x.id);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_list_scan");
        }
    }
}
